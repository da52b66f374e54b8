/**
 * The REST edge: thin controllers that parse the request, call one use case with the caller as
 * its {@link dev.backstop.core.usecase.Actor}, and map its {@link dev.backstop.core.usecase.Result}
 * to the API contract's view records and status codes ({@link
 * dev.backstop.server.api.ApiProblem#orThrow}); every error as problem+json naming each field.
 */
package dev.backstop.server.api;
