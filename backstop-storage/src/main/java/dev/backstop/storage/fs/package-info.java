/**
 * A directory as an {@link dev.backstop.storage.ObjectStore}: {@link
 * dev.backstop.storage.fs.FileSystemObjectStore}, for a mounted volume or share and for tests.
 * Atomic puts by rename, hex-MD5 ETags, user metadata in hidden sidecar files.
 */
package dev.backstop.storage.fs;
