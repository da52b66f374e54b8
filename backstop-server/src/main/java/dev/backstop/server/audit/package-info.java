/**
 * The audit trail's adapters: the append-only table, the recording of every state-changing
 * request, and its reading endpoint ({@code GET /audit}).
 */
package dev.backstop.server.audit;
