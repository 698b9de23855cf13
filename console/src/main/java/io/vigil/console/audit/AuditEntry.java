package io.vigil.console.audit;

import java.time.Instant;

/**
 * One change: who did what to which item, and the item before and after (source text, or a short
 * description; empty when there was nothing).
 */
public record AuditEntry(
    String id,
    Instant at,
    String actor,
    String action,
    String target,
    String before,
    String after) {}
