package dev.chatops.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by its chromium-driver (never a downloaded one: Selenium
 * Manager is not asked), at a given window size, with a fresh profile that {@link #close} removes.
 * Screenshots go to {@code target/screenshots/}, kept as the build's artefacts. Missing Chromium
 * fails the test with what to run; it never skips.
 */
public final class Browser implements AutoCloseable {

  /** The phone width the dashboard must fit without horizontal scrolling. */
  public static final int PHONE_WIDTH = 390;

  public static final int DESKTOP_WIDTH = 1280;

  /** Where screenshots are kept. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A phone-sized browser (390 x 844). */
  public static Browser phone() {
    return open(PHONE_WIDTH, 844);
  }

  /** A desktop-sized browser (1280 x 900). */
  public static Browser desktop() {
    return open(DESKTOP_WIDTH, 900);
  }

  /** A browser whose viewport is {@code width} x {@code height} CSS pixels. */
  public static Browser open(int width, int height) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException(
          "Chromium and its driver are needed at "
              + CHROMIUM
              + " and "
              + DRIVER
              + ": run scripts/test-env.sh (Debian packages chromium, chromium-driver)");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("chatops-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(DRIVER.toString()))
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Browser(driver, profile);
  }

  public WebDriver driver() {
    return driver;
  }

  /** Whether the page is wider than the window (it scrolls sideways). */
  public boolean scrollsSideways() {
    Object wider =
        driver.executeScript(
            "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
    return Boolean.TRUE.equals(wider);
  }

  /** A screenshot of the window as {@code target/screenshots/NAME.png}; its path. */
  public Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        // a leftover temporary profile harms nothing
      }
    }
  }
}
