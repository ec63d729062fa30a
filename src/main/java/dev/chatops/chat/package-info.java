/**
 * Chat commands, whichever the platform: what a command means ({@link
 * dev.chatops.chat.ChatCommand}), who may give it (the configured users), what it does through the
 * engine and how it answers ({@link dev.chatops.chat.Conversation}, {@link
 * dev.chatops.chat.ChatReply}); the platforms (Slack, Discord) verify requests, parse their shapes
 * and render replies.
 */
package dev.chatops.chat;
