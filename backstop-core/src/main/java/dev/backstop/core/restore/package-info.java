/**
 * Restores: putting a whole cluster back to one completed backup, from the primary or the
 * secondary region.
 *
 * <p>{@link dev.backstop.core.restore.Restore} is the lifecycle (state, the phase it is at, every
 * phase's state and times); {@link dev.backstop.core.restore.RestoreProcedure} runs its named,
 * durable phases (preflight, stop, delete indices, restore snapshots, restore Zeebe, start,
 * verify); {@link dev.backstop.core.restore.RestoreService} holds the use cases (request, confirm)
 * and runs each restore as an operation of the engine, claimed and fenced like a backup's.
 *
 * <p>The ports: {@link dev.backstop.core.restore.ClusterRuntime} stops, starts and restores the
 * components (a local-process runtime, a manual one that waits for the operator; a Kubernetes one
 * fits the same three calls); {@link dev.backstop.core.restore.RestoreApis} is what the procedure
 * asks of the search engine and the components; {@link dev.backstop.core.restore.BackupInventory}
 * checks a backup's objects in a region.
 */
package dev.backstop.core.restore;
