/**
 * The Spring Boot application: configuration and wiring. Sub-packages hold the edges, e.g. {@code
 * persistence} (PostgreSQL, embedded by default, and Flyway migrations). The sandbox (a real local
 * Camunda cluster next to the server, for trying Backstop out) is module {@code backstop-sandbox}.
 */
package dev.backstop.server;
