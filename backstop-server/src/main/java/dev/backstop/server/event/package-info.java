/** Where the use cases' events are recorded once and handed to the metrics and notifications. */
package dev.backstop.server.event;
