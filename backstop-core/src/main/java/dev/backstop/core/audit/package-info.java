/**
 * The audit trail: who did what, to which cluster, backup or restore, when, and how it went —
 * every state-changing request (refused ones too) and every automatic action. Append-only: the
 * port has no way to change or remove an entry.
 */
package dev.backstop.core.audit;
