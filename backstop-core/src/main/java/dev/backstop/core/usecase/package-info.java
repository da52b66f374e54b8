/**
 * What every use case shares: who acts ({@link dev.backstop.core.usecase.Actor}), what it answers
 * ({@link dev.backstop.core.usecase.Result}: the value, or why not, as a value the edge maps
 * exhaustively), and what was wrong with the input ({@link dev.backstop.core.usecase.FieldError},
 * collected by {@link dev.backstop.core.usecase.Validation} so that every error is reported at once).
 */
package dev.backstop.core.usecase;
