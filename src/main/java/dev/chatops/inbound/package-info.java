/**
 * Signed requests from services outside (GitHub webhooks, Slack and Discord interactions): the
 * contract between the HTTP layer, which receives them, and the packages that verify and act on
 * them ({@code github}, {@code chat}). No HTTP library type crosses it.
 */
package dev.chatops.inbound;
