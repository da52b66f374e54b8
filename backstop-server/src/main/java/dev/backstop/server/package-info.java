/**
 * The Spring Boot application: configuration and wiring. Sub-packages hold the edges: {@code
 * persistence} (PostgreSQL, embedded by default, and Flyway migrations) and {@code sandbox} (a real
 * local Camunda cluster next to the server, for trying Backstop out).
 */
package dev.backstop.server;
