package io.dflockd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.EmbeddedServers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless browser: Debian's {@code chromium} driven through its
 * {@code chromium-driver} (both installed by {@code .ci/run}; Selenium Manager is never asked for a
 * browser), a real server, locks taken over real TCP. Leaves a screenshot in
 * {@code target/status-page.png}; docs/assets/status-page.png is a copy of it.
 */
@Tag("integration") // a real server and a real browser: not in the quick loop (mvn test -Pquick)
class StatusPageBrowserTest {
    private static final String CHROMIUM = System.getProperty("dflockd.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("dflockd.chromedriver", "/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static DflockdServer server;
    private static ChromeDriver browser;
    private final List<WireConnection> connections = new ArrayList<>();

    @BeforeAll
    static void start() {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install chromium chromium-driver)").canRead();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver (apt-get install chromium-driver)").canRead();
        server = EmbeddedServers.start(b -> b.httpAnyFreePort());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1200,640", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.get("http://127.0.0.1:" + server.httpPort() + "/");
        waitFor(ExpectedConditions.textToBe(By.id("state"), "live"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void disconnect() throws IOException {
        for (WireConnection c : connections) {
            c.close();
        }
    }

    private WireConnection connect() throws IOException {
        WireConnection c = new WireConnection(server.port());
        connections.add(c);
        return c;
    }

    private static <T> T waitFor(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        return new WebDriverWait(browser, PATIENCE).ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** The row of {@code key} in the table {@code table} (the page writes the key into data-key). */
    private static By row(String table, String key) {
        return By.cssSelector("#" + table + " tbody tr[data-key=\"" + key.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"]");
    }

    /** The texts of the cells of {@code key}'s row, once it is shown. */
    private static List<String> cells(String table, String key) {
        return waitFor(d -> {
            List<String> texts = d.findElement(row(table, key)).findElements(By.tagName("td")).stream()
                    .map(WebElement::getText).toList();
            return texts.isEmpty() ? null : texts;
        });
    }

    private static double secondsLeft(String key) {
        String text = cells("locks", key).get(2);
        assertThat(text).matches("\\d+\\.\\d s");
        return Double.parseDouble(text.substring(0, text.length() - 2));
    }

    @Test
    void aLockTakenOverTcpAppearsWithItsHolderAndACountdownAndGoesWhenReleased() throws IOException {
        String key = EmbeddedServers.key("nightly-report");
        WireConnection holder = connect();
        String token = holder.lock(key, 30);
        long owner = Stats.parse(holder.call("stats", "_", "_").substring(3)).lock(key).orElseThrow().ownerConnId();

        List<String> shown = cells("locks", key);
        assertThat(shown.get(0)).isEqualTo(key);
        assertThat(shown.get(1)).isEqualTo("conn " + owner);
        assertThat(shown.get(3)).isEqualTo("0");
        double first = secondsLeft(key);
        assertThat(first).isBetween(20.0, 30.0);
        // The countdown runs in the page between polls, and keeps going down across them.
        waitFor(d -> secondsLeft(key) < first - 1.5);
        assertThat(secondsLeft(key)).isGreaterThan(15.0);

        WireConnection waiter = connect();
        assertThat(waiter.call("e", key, "")).isEqualTo("queued");
        waitFor(d -> cells("locks", key).get(3).equals("1"));

        waiter.close(); // a waiter that goes away leaves the queue
        waitFor(d -> cells("locks", key).get(3).equals("0"));
        assertThat(holder.call("r", key, token)).isEqualTo("ok");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(row("locks", key)));
        assertThat(cells("idle", key).subList(0, 2)).containsExactly(key, "lock");
    }

    @Test
    void showsQueuesSemaphoreSlotsSignalChannelsAndConnectionsWithKeysAsText() throws IOException {
        String orders = "orders/1042";
        connect().lock(orders, 45);
        assertThat(connect().call("e", orders, "")).isEqualTo("queued");
        assertThat(connect().call("e", orders, "")).isEqualTo("queued");
        connect().lock("billing/nightly-close", 300);
        for (int i = 0; i < 3; i++) {
            assertThat(connect().call("sl", "pdf-render", "10 4 60")).startsWith("ok ");
        }
        assertThat(connect().call("se", "pdf-render", "4 60")).startsWith("acquired ");
        assertThat(connect().call("se", "pdf-render", "4 60")).isEqualTo("queued");
        assertThat(connect().call("sl", "email-out", "10 8 60")).startsWith("ok ");
        assertThat(connect().call("rl", "config/flags", "0 60")).startsWith("ok ");
        assertThat(connect().call("rl", "config/flags", "0 60")).startsWith("ok ");
        assertThat(connect().call("we", "config/flags", "60")).isEqualTo("queued");
        assertThat(connect().call("wl", "config/schema", "0 60")).startsWith("ok ");
        WireConnection listener = connect();
        assertThat(listener.call("listen", "jobs.*", "workers")).isEqualTo("ok");
        assertThat(connect().call("listen", "jobs.*", "workers")).isEqualTo("ok");
        assertThat(listener.call("listen", "cache.invalidate", "")).isEqualTo("ok");
        WireConnection warmer = connect();
        assertThat(warmer.call("r", "cache/warmup", warmer.lock("cache/warmup", 10))).isEqualTo("ok");

        assertThat(cells("locks", orders)).element(3).isEqualTo("2");
        waitFor(d -> cells("semaphores", "pdf-render").get(2).equals("4 / 4")
                && cells("semaphores", "pdf-render").get(3).equals("1"));
        WebElement slots = browser.findElement(row("semaphores", "pdf-render"));
        assertThat(slots.findElements(By.cssSelector(".slot"))).hasSize(4);
        assertThat(slots.findElements(By.cssSelector(".slot.used"))).hasSize(4);
        assertThat(cells("semaphores", "email-out")).element(2).isEqualTo("1 / 8");
        assertThat(cells("rw-locks", "config/flags")).containsExactly("config/flags", "2 readers", "1");
        assertThat(cells("rw-locks", "config/schema")).containsExactly("config/schema", "a writer", "0");
        assertThat(cells("signals", "jobs.*")).containsExactly("jobs.*", "workers", "2");
        assertThat(cells("signals", "cache.invalidate")).containsExactly("cache.invalidate", "–", "1");
        waitFor(ExpectedConditions.textToBe(By.id("connections"), Integer.toString(connections.size())));
        assertThat(browser.findElement(By.id("waiting")).getText()).isEqualTo("4");
        assertThat(browser.findElement(By.id("locks-held")).getText()).isEqualTo("2");

        assertThat(cells("idle", "cache/warmup").subList(0, 2)).containsExactly("cache/warmup", "lock");
        Path shot = Path.of("target", "status-page.png");
        Files.createDirectories(shot.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

        // Keys are client input: shown as text, never parsed as markup.
        String sneaky = "<i>not-markup</i><script>document.title='owned'</script>&amp;";
        connect().lock(sneaky, 20);
        assertThat(cells("locks", sneaky).get(0)).isEqualTo(sneaky);
        assertThat(browser.findElements(By.cssSelector("#locks i, #locks script"))).isEmpty();
        assertThat(browser.getTitle()).isEqualTo("dflockd status");
    }

    @Test
    void showsCountersEntriesListsBarriersAndWatches() throws IOException {
        WireConnection c = connect();
        assertThat(c.call("incr", "deploys", "41")).isEqualTo("ok 41");
        assertThat(c.call("incr", "deploys", "1")).isEqualTo("ok 42");
        assertThat(c.call("kset", "config/mode", "blue\t300")).isEqualTo("ok");
        assertThat(c.call("kset", "config/owner", "team-a")).isEqualTo("ok");
        assertThat(c.call("rpush", "jobs", "a")).isEqualTo("ok 1");
        assertThat(c.call("rpush", "jobs", "b")).isEqualTo("ok 2");
        connect().send("blpop", "idle-queue", "60");
        connect().send("bwait", "stage-2", "3 60");
        assertThat(connect().call("watch", "jobs.>", "")).isEqualTo("ok");

        assertThat(cells("data", "deploys")).containsExactly("deploys", "counter", "42", "–");
        List<String> mode = cells("data", "config/mode");
        assertThat(mode.subList(0, 3)).containsExactly("config/mode", "entry", "4 bytes");
        assertThat(mode.get(3)).matches("\\d+ min \\d+ s");
        assertThat(cells("data", "config/owner")).containsExactly("config/owner", "entry", "6 bytes", "–");
        assertThat(cells("data", "jobs")).containsExactly("jobs", "list", "2 items", "–");
        assertThat(cells("data", "idle-queue")).containsExactly("idle-queue", "list", "0 items, 1 waiting to pop", "–");
        assertThat(cells("barriers", "stage-2")).containsExactly("stage-2", "1 / 3");
        assertThat(cells("watches", "jobs.>")).containsExactly("jobs.>", "1");

        assertThat(c.call("kdel", "config/owner", "")).isEqualTo("ok");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(row("data", "config/owner")));
    }

    @Test
    void withAnAuthTokenThePageAsksForItAndKeepsItForTheTab() throws IOException {
        try (DflockdServer guarded = EmbeddedServers.start(b -> b.httpAnyFreePort().authToken("sesame"));
                WireConnection holder = new WireConnection(guarded.port())) {
            assertThat(holder.call("auth", "_", "sesame")).isEqualTo("ok");
            holder.lock("guarded-key", 30);
            browser.get("http://127.0.0.1:" + guarded.httpPort() + "/");
            waitFor(ExpectedConditions.textToBe(By.id("state"), "token needed"));
            browser.findElement(By.id("token")).sendKeys("wrong\n");
            waitFor(ExpectedConditions.textToBePresentInElementLocated(By.id("auth-message"), "rejected"));
            browser.findElement(By.id("token")).sendKeys("sesame\n");
            waitFor(ExpectedConditions.textToBe(By.id("state"), "live"));
            assertThat(browser.findElement(By.id("auth")).isDisplayed()).isFalse();
            assertThat(cells("locks", "guarded-key").get(0)).isEqualTo("guarded-key");
            browser.navigate().refresh(); // the token outlives a reload of the tab
            waitFor(ExpectedConditions.textToBe(By.id("state"), "live"));
        } finally {
            browser.executeScript("sessionStorage.clear()");
            browser.get("http://127.0.0.1:" + server.httpPort() + "/");
        }
    }
}
