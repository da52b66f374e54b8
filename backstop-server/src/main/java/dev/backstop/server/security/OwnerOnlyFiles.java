package dev.backstop.server.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a secret to a new file that only its owner can read or write from the moment it exists
 * (created with those permissions, in a directory only the owner can enter), never readable by
 * others for an instant; an existing file is left as it is.
 */
public final class OwnerOnlyFiles {

  private OwnerOnlyFiles() {}

  /** The file's content, trimmed; a new file holding {@code content} when there is none. */
  public static String readOrCreate(Path file, java.util.function.Supplier<String> content) throws IOException {
    if (!Files.exists(file)) {
      create(file, content.get());
    }
    return Files.readString(file).trim();
  }

  public static void create(Path file, String content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    if (!Files.exists(directory)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException raced) {
      return; // another start made it first
    }
    Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
