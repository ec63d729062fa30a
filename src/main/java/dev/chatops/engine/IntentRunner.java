package dev.chatops.engine;

import dev.chatops.exec.StepListener;
import java.util.Map;
import java.util.function.Function;

/**
 * What the trigger use case needs of the executor: run an intent, or plan it without reading
 * anything. {@link Executor} is the implementation; tests put a scripted one in its place.
 */
public interface IntentRunner {

  /**
   * Runs the intent {@code name}. Never throws for an expected outcome: refusals, failures and
   * interruptions are reports.
   *
   * @param listeners gives the listener that follows each intent (a batch runs several)
   */
  Report run(
      String name,
      Map<String, String> params,
      Executor.Mode mode,
      Function<String, StepListener> listeners);

  /** The plan of a run, without asking the engine anything: a dry run that reads nothing. */
  Report plan(String name, Map<String, String> params);
}
