/**
 * Who may run what from where: API keys ({@link dev.chatops.policy.ApiKeys}, {@link
 * dev.chatops.policy.KeyRing}), credentials read from request headers ({@link
 * dev.chatops.policy.Credentials}), client addresses behind trusted proxies ({@link
 * dev.chatops.policy.SourcePolicy}) and rate limits ({@link dev.chatops.policy.RateLimiter}).
 * Required labels are counted over a batch's steps by {@code intent.EffectiveRequirements} and
 * checked in one place, the engine's admission of a trigger.
 *
 * <p>Pure: no HTTP framework, no database, no logging. The HTTP layer reads headers and the peer
 * address, calls in here, and maps the values it gets back to statuses and audit entries. Nothing
 * in here ever puts a presented key into a message, an exception or a {@code toString()}.
 */
package dev.chatops.policy;
