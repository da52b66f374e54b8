package dev.backstop.core.operation;

import java.util.function.Supplier;

/**
 * Runs work exclusive of any other work under the same name, on every instance sharing the
 * database. An instance that dies releases what it held. Waits as long as the holder takes.
 */
@FunctionalInterface
public interface Exclusion {

  <T> T exclusively(String name, Supplier<T> work);

  /** For a single process: a lock per name, in this JVM only. */
  static Exclusion inProcess() {
    java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.locks.ReentrantLock> locks = new java.util.concurrent.ConcurrentHashMap<>();
    return new Exclusion() {
      @Override
      public <T> T exclusively(String name, Supplier<T> work) {
        var lock = locks.computeIfAbsent(name, n -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
          return work.get();
        } finally {
          lock.unlock();
        }
      }
    };
  }
}
