/**
 * The backup procedure as named, durable steps ({@link dev.backstop.core.procedure.BackupProcedure})
 * and the ports it drives: Zeebe, the web apps' backup APIs and the search engine's snapshot API,
 * whose answers come back as values ({@link dev.backstop.core.procedure.Outcome}, {@link
 * dev.backstop.core.procedure.Observation}). It tells a {@link
 * dev.backstop.core.procedure.BackupObserver} how long its steps, components and the pause of
 * exporting took (the server's metrics).
 */
package dev.backstop.core.procedure;
