package dev.chatops.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs the real Docker engine and the example images. Tagged {@code docker}, so
 * that {@code ./mvnw verify -P no-install} can leave it out; in every other run a missing engine
 * fails the class before its first test (never a skip).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("docker")
@ExtendWith(DockerEngine.Required.class)
public @interface RequiresDocker {}
