/**
 * The REST edge: thin controllers that parse and validate input (answering every error at once),
 * call one use case and map its outcome to the API contract's JSON and status codes.
 */
package dev.backstop.server.api;
