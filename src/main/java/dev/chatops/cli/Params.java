package dev.chatops.cli;

import dev.chatops.exec.compose.ComposeFlavour;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** {@code --param K=V} options, parsed strictly. */
final class Params {

  private Params() {}

  static Map<String, String> parse(CommandLine commandLine, List<String> params) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String param : params) {
      int equals = param.indexOf('=');
      if (equals <= 0) {
        throw new CommandLine.ParameterException(
            commandLine, "--param needs the form NAME=VALUE, not '" + param + "'");
      }
      String key = param.substring(0, equals);
      if (values.put(key, param.substring(equals + 1)) != null) {
        throw new CommandLine.ParameterException(
            commandLine, "--param " + key + " is given more than once");
      }
    }
    return values;
  }

  /** The flavour named by a {@code --compose} option. */
  static ComposeFlavour flavour(CommandLine commandLine, String compose) {
    return switch (compose) {
      case "plugin" -> ComposeFlavour.PLUGIN;
      case "standalone" -> ComposeFlavour.STANDALONE;
      default ->
          throw new CommandLine.ParameterException(
              commandLine, "--compose must be plugin or standalone, not '" + compose + "'");
    };
  }
}
