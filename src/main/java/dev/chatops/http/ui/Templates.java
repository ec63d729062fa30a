package dev.chatops.http.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The dashboard's templates ({@code src/main/jte}), compiled at build time by jte's Maven plugin
 * with HTML escaping of every {@code ${...}} and the OWASP policy (no inline script or event
 * handler, quoted attributes). Rendering a template that does not exist fails loudly.
 */
public final class Templates {

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** {@code name} (such as {@code "executions.jte"}) rendered with its one parameter. */
  public String render(String name, Object model) {
    StringOutput out = new StringOutput(8 * 1024);
    engine.render(name, model, out);
    return out.toString();
  }

  /** {@code name} rendered with its parameters by name. */
  public String render(String name, Map<String, Object> params) {
    StringOutput out = new StringOutput(8 * 1024);
    engine.render(name, params, out);
    return out.toString();
  }
}
