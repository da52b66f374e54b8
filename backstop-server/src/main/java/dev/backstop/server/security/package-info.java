/**
 * Authentication and authorization: OAuth 2 client credentials at {@code /oauth/token} issuing
 * HMAC-signed JWTs (Camunda's clients decode them for {@code exp}), every other endpoint but health,
 * the OpenAPI document and the console needing one; permissions per API client; organizations
 * isolated (another organization's cluster answers 404).
 */
package dev.backstop.server.security;
