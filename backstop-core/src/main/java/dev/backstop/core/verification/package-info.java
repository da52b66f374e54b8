/**
 * Verification of completed backups without restoring them: the outcome's lifecycle ({@link
 * dev.backstop.core.verification.Verification}, {@link
 * dev.backstop.core.verification.VerificationState}), the port that inspects a region's object
 * store ({@link dev.backstop.core.verification.BackupVerifier}), where outcomes and remembered
 * sizes are kept ({@link dev.backstop.core.verification.VerificationStore}), and the use case that
 * runs a check as durable work and re-checks periodically ({@link
 * dev.backstop.core.verification.VerificationService}). A backup found DAMAGED counts as no good
 * backup ({@link dev.backstop.core.backup.Backup#isGood()}).
 */
package dev.backstop.core.verification;
