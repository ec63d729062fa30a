package dev.chatops.store;

/**
 * An entry as stored: numbered, and chained to the one before it by hash.
 *
 * @param seq 1, 2, 3... without gaps
 * @param previousHash the hash of record {@code seq - 1} ({@link AuditTrail#GENESIS} for the first)
 * @param hash SHA-256, hex, over {@code previousHash} and the canonical form of this record
 */
public record AuditRecord(long seq, AuditEntry entry, String previousHash, String hash) {}
