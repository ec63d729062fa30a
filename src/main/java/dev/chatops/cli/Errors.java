package dev.chatops.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Short, stack-trace-free words for I/O failures. */
final class Errors {
  private Errors() {}

  static String describe(IOException e) {
    return switch (e) {
      case NoSuchFileException missing -> missing.getFile() + ": no such file or folder";
      case AccessDeniedException denied -> denied.getFile() + ": permission denied";
      case NotDirectoryException notDir -> notDir.getFile() + ": not a folder";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }
}
