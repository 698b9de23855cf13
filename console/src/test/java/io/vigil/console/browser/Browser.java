package io.vigil.console.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Debian's chromedriver (paths given, so Selenium never
 * downloads a driver), 1280 px wide, with a fresh profile.
 */
final class Browser implements AutoCloseable {

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  final ChromeDriver driver;
  private final String base;
  private final Path profile;

  Browser(String base) throws IOException {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium"
              + " chromium-driver (./vigil test installs them when run as root)");
    }
    this.base = base;
    this.profile = Files.createTempDirectory("vigil-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  void open(String path) {
    driver.get(base + path);
  }

  WebElement find(String css) {
    return waitFor(css, Duration.ofSeconds(20));
  }

  WebElement waitFor(String css, Duration timeout) {
    return new WebDriverWait(driver, timeout)
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  void waitForText(String css, String text, Duration timeout) {
    new WebDriverWait(driver, timeout)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
  }

  void signIn(String user, String password) {
    open("/login");
    find("#username").sendKeys(user);
    find("#password").sendKeys(password);
    find("#sign-in").click();
    find("main h1");
  }

  void signOut() {
    driver.findElement(By.cssSelector("header form button")).click();
    find("#username");
  }

  /**
   * Saves a screenshot as {@code <vigil.screenshots.dir>/<name>.png} when asked for with {@code
   * -Dvigil.screenshots=true} (the README's images); otherwise does nothing, so a test run leaves
   * the working tree alone.
   */
  void screenshot(String name) {
    if (!Boolean.getBoolean("vigil.screenshots")) {
      return;
    }
    Path dir = Path.of(System.getProperty("vigil.screenshots.dir", "target/screenshots"));
    try {
      Files.createDirectories(dir);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the page logged to its console (CSP violations and script errors show up here). */
  java.util.List<String> consoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
