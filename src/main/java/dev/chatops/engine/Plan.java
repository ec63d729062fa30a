package dev.chatops.engine;

import dev.chatops.exec.Command;
import dev.chatops.exec.compose.ComposeFlavour;
import dev.chatops.intent.Action.OnFailure;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What running an intent would do, step by step, computed without touching anything. */
public sealed interface Plan permits Plan.StackPlan, Plan.BackupPlan, Plan.BatchPlan {

  String intent();

  /** The intent's action keyword. */
  String action();

  /** When a step runs. */
  enum When {
    /** Always, in order. */
    ALWAYS,
    /** Only when an earlier step failed: the rollback. */
    ON_FAILURE
  }

  /**
   * One step: what it is for, and the command it runs when it runs one (a wait or a recorded value
   * may be done by ChatOps itself).
   */
  record Step(String title, Optional<Command> command, When when, Optional<String> note) {
    public static Step run(String title, Command command) {
      return new Step(title, Optional.of(command), When.ALWAYS, Optional.empty());
    }
  }

  /** Operations on one Compose project. */
  record StackPlan(
      String intent,
      String action,
      String host,
      String project,
      Path composeFile,
      ComposeFlavour flavour,
      Map<String, Object> params,
      List<Step> steps,
      List<String> notes)
      implements Plan {
    public StackPlan {
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      steps = List.copyOf(steps);
      notes = List.copyOf(notes);
    }
  }

  /** A Proxmox VE vzdump through its API. */
  record BackupPlan(String intent, String node, long vmid, String storage, String mode)
      implements Plan {
    @Override
    public String action() {
      return "backup";
    }

    /** The API request the backup makes. */
    public String request() {
      return "POST /api2/json/nodes/"
          + node
          + "/vzdump vmid="
          + vmid
          + " storage="
          + storage
          + " mode="
          + mode;
    }
  }

  /** Other intents' plans, in order or in parallel. */
  record BatchPlan(String intent, boolean parallel, OnFailure onFailure, List<Plan> steps)
      implements Plan {
    public BatchPlan {
      steps = List.copyOf(steps);
    }

    @Override
    public String action() {
      return "batch";
    }
  }
}
