package io.vigil.console.security;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: after {@code maxFailures} failed sign-ins within {@code lockFor}, a
 * user name (or a client address) is refused until {@code lockFor} has passed since its last
 * failure. Counted per console instance, in memory: a restart forgets the counts.
 */
@Component
public class LoginThrottle {

  private final SecurityProperties.LoginThrottle settings;
  private final Clock clock;
  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public LoginThrottle(SecurityProperties properties, Clock clock) {
    this.settings = properties.loginThrottle();
    this.clock = clock;
  }

  /** Whether sign-in attempts for this user name or from this address are refused right now. */
  public boolean isLocked(String username, String address) {
    return locked("user:" + username) || locked("address:" + address);
  }

  public void failed(String username, String address) {
    record("user:" + username);
    record("address:" + address);
  }

  public void succeeded(String username) {
    failures.remove("user:" + username);
  }

  private boolean locked(String key) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return false;
    }
    synchronized (times) {
      prune(times);
      return times.size() >= settings.maxFailures();
    }
  }

  private void record(String key) {
    Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (times) {
      prune(times);
      times.addLast(clock.instant());
      while (times.size() > settings.maxFailures()) {
        times.removeFirst();
      }
    }
  }

  // Failures older than lockFor no longer count; the lock lasts lockFor from the latest one.
  private void prune(Deque<Instant> times) {
    Instant horizon = clock.instant().minus(settings.lockFor());
    while (!times.isEmpty() && times.peekFirst().isBefore(horizon)) {
      times.removeFirst();
    }
  }
}
