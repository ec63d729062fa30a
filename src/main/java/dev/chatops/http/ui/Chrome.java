package dev.chatops.http.ui;

import java.util.Objects;
import java.util.Optional;

/**
 * What every page's frame ({@code layout.jte}) shows: the title, which section the navigation marks
 * current, and who is signed in (with the CSRF token of the sign-out form).
 *
 * @param title the page's title, before " · ChatOps"
 * @param section the navigation entry marked current
 * @param session the signed-in user; empty on the sign-in page
 */
public record Chrome(String title, Section section, Optional<UiSession> session) {

  public Chrome {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(session, "session");
  }

  /** A page of a signed-in user. */
  public static Chrome of(String title, Section section, UiSession session) {
    return new Chrome(title, section, Optional.of(session));
  }

  /** The navigation's entries, in order; {@code NONE} marks none. */
  public enum Section {
    EXECUTIONS("Executions", "/ui/executions"),
    INTENTS("Intents", "/ui/intents"),
    STACKS("Stacks", "/ui/stacks"),
    APPROVALS("Approvals", "/ui/approvals"),
    AUDIT("Audit", "/ui/audit"),
    NONE("", "/ui/");

    private final String label;
    private final String href;

    Section(String label, String href) {
      this.label = label;
      this.href = href;
    }

    public String label() {
      return label;
    }

    public String href() {
      return href;
    }

    /** The entries the navigation lists. */
    public static java.util.List<Section> listed() {
      return java.util.List.of(EXECUTIONS, INTENTS, STACKS, APPROVALS, AUDIT);
    }
  }
}
