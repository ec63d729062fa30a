/**
 * GitHub webhooks: {@code POST /hooks/github} verifies a delivery's signature before reading it,
 * refuses replays, and runs the intents of the configured rules when a pull request merges, with
 * the pull request's labels vouched for by GitHub's signature.
 */
package dev.chatops.github;
