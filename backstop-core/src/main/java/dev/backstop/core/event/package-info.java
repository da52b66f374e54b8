/**
 * What Backstop did or saw on its own — a backup or restore ended, retention deleted a backup, a
 * scheduled run started or was skipped, an operation was taken over — told to the operator's view:
 * the audit trail, the metrics and the notifications. The use cases publish; the edges listen.
 */
package dev.backstop.core.event;
