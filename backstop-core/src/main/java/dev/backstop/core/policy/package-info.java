/**
 * Backup policies as pure functions of (history, policy, now): {@link
 * dev.backstop.core.policy.Admission} (plan, generation, one operation at a time, rate limit, in
 * that order) and {@link dev.backstop.core.policy.Retention} (manual and scheduled). {@link
 * dev.backstop.core.policy.PolicyService} shows and sets a cluster's policy, kept through the
 * {@link dev.backstop.core.policy.PolicyStore} port.
 */
package dev.backstop.core.policy;
