package dev.chatops.http.ui;

import dev.chatops.store.Approval;
import dev.chatops.store.ExecutionRecord;
import java.util.List;
import java.util.Optional;

/** What the approvals page shows (public: the compiled templates read them). */
public final class ApprovalViews {

  private ApprovalViews() {}

  /**
   * One execution waiting for approvals.
   *
   * @param decisions the approvals given so far (a denial ends it, so there is none)
   * @param own whether the signed-in key requested it (it may not approve it)
   */
  public record Pending(ExecutionRecord execution, List<Approval> decisions, boolean own) {
    public Pending {
      decisions = List.copyOf(decisions);
    }
  }

  /**
   * The approvals page.
   *
   * @param notice what the last decision did
   * @param error why the last decision was refused
   * @param comment what the refused decision's comment said, to show again
   */
  public record Page(
      Chrome chrome,
      List<Pending> pending,
      Optional<String> notice,
      Optional<String> error,
      String comment,
      String csrf) {
    public Page {
      pending = List.copyOf(pending);
    }
  }
}
