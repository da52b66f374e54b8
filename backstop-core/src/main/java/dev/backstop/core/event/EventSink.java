package dev.backstop.core.event;

/**
 * Where the use cases tell what happened. Must not throw into the operation that tells: a failure
 * to record is the sink's to log, never a reason for a backup or restore to fail.
 */
@FunctionalInterface
public interface EventSink {

  void publish(Event event);

  EventSink NONE = event -> {};
}
