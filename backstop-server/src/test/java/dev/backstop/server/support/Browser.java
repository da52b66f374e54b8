package dev.backstop.server.support;

import dev.backstop.testbed.ProcessGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through chromedriver, both Debian's packages ({@code chromium},
 * {@code chromium-driver}): no browser or driver is ever downloaded (Selenium Manager is not used:
 * the driver's and the browser's paths are given). A fresh profile per browser, deleted on close.
 *
 * <p>chromedriver and Chromium carry the test bed's process marker in their environment, so the
 * test bed's watchdog kills them if the test JVM dies, and CI's check after the suite sees any
 * that is left behind.
 */
public final class Browser implements AutoCloseable {

  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Duration WAIT = Duration.ofSeconds(20);

  private final Path profile;
  private final Path screenshots;
  private final ChromeDriverService service;
  private final ChromeDriver driver;

  private Browser(Path profile, Path screenshots, ChromeDriverService service, ChromeDriver driver) {
    this.profile = profile;
    this.screenshots = screenshots;
    this.service = service;
    this.driver = driver;
  }

  /** Starts chromedriver and a headless Chromium; screenshots go to {@code screenshots}. */
  public static Browser start(Path screenshots, Path logDirectory) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException("Debian's chromium and chromium-driver are needed: apt-get install chromium chromium-driver");
    }
    // Never let Selenium look for (or download) a driver or a browser by itself.
    System.setProperty("SE_OFFLINE", "true");
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    Path profile;
    try {
      Files.createDirectories(screenshots);
      Files.createDirectories(logDirectory);
      profile = Files.createTempDirectory("backstop-chromium-profile-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withEnvironment(Map.of(ProcessGuard.MARKER_VARIABLE, ProcessGuard.runId(), "SE_OFFLINE", "true"))
            .withLogFile(logDirectory.resolve("chromedriver.log").toFile())
            .withLogLevel(ChromiumDriverLogLevel.WARNING)
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--lang=en-US",
        "--window-size=1400,1600",
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      deleteRecursively(profile);
      throw e;
    }
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Browser(profile, screenshots, service, driver);
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits (polling, no sleep) until the condition holds, up to {@code timeout}. */
  public <T> T await(String what, Duration timeout, Function<WebDriver, T> condition) {
    WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(200));
    wait.withMessage(what);
    return wait.until(condition);
  }

  public <T> T await(String what, Function<WebDriver, T> condition) {
    return await(what, WAIT, condition);
  }

  /** Runs JavaScript in the page. */
  public Object script(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeScript(script, arguments);
  }

  /** Runs asynchronous JavaScript in the page: it calls its last argument with the result. */
  public Object asyncScript(String script, Object... arguments) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
  }

  /** Saves a screenshot of the viewport as {@code <name>.png}, the element scrolled into view first. */
  public Path screenshot(String name, WebElement scrolledTo) {
    if (scrolledTo != null) {
      script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -16);", scrolledTo);
    }
    Path file = screenshots.resolve(name + ".png");
    try {
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Keeps what the page showed when something went wrong: a screenshot and the DOM as it was. */
  public void keepFailure(Path directory) {
    try {
      screenshot("failure", null);
      Files.writeString(directory.resolve("failure.html"), String.valueOf(script("return document.documentElement.outerHTML")));
      Files.writeString(directory.resolve("failure-console.txt"), String.join("\n", driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList()));
    } catch (IOException | RuntimeException e) {
      System.err.println("browser: could not keep the failure: " + e);
    }
  }

  /** The page's console errors (JavaScript exceptions, CSP violations), failed requests left out. */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        // A 4xx the console expects and shows (429, 404 of an optional endpoint) is logged by Chromium too.
        .filter(message -> !message.contains("Failed to load resource"))
        .toList();
  }

  /** Quits Chromium and chromedriver and deletes the profile; safe to call more than once. */
  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      System.err.println("browser: quit failed: " + e);
    } finally {
      service.stop();
      killLeftovers();
      deleteRecursively(profile);
    }
  }

  /**
   * The processes of this browser still running (none once closed): Chromium's with this profile,
   * and chromedriver's and Chromium's carrying this JVM's process marker.
   */
  public List<ProcessHandle> chromiumProcesses() {
    String profileArgument = "--user-data-dir=" + profile.toAbsolutePath();
    String marker = ProcessGuard.MARKER_VARIABLE + "=" + ProcessGuard.runId();
    return ProcessHandle.allProcesses()
        .filter(process -> {
          String command = process.info().commandLine().orElse("");
          return command.contains(profileArgument)
              || (command.contains("chrom") && environmentOf(process).contains(marker));
        })
        .toList();
  }

  private static List<String> environmentOf(ProcessHandle process) {
    try {
      return List.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ")).split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of(); // gone, or not ours to read
    }
  }

  /** Quit ends Chromium; whatever of it is still there a few seconds later is killed. */
  private void killLeftovers() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ProcessHandle> left = chromiumProcesses();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left.getFirst().onExit().completeOnTimeout(null, 200, java.util.concurrent.TimeUnit.MILLISECONDS).join();
      left = chromiumProcesses();
    }
    left.forEach(process -> {
      System.err.println("browser: killing a Chromium process left behind: " + process.pid());
      process.destroyForcibly();
    });
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("browser: could not delete " + directory + ": " + e);
    }
  }
}
