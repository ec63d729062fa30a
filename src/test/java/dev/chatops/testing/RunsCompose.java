package dev.chatops.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that runs Compose for real. The build runs it twice: with Compose v1 (the standalone
 * {@code docker-compose}) in the main test run, and again with the v2 plugin ({@code docker
 * compose}) in the {@code compose-v2} run, which selects the tag {@code compose}. The class takes
 * its flavour from {@link DockerEngine#flavour()}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RequiresDocker
@Tag("compose")
public @interface RunsCompose {}
