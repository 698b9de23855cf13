package io.vigil.alert.delivery.email;

import io.vigil.alert.delivery.ChannelSender;
import io.vigil.alert.delivery.Delivery;
import io.vigil.alert.delivery.Outcome;
import io.vigil.alert.model.Alert;
import io.vigil.alert.model.AlertJson;
import io.vigil.alert.subscription.ChannelType;
import io.vigil.alert.subscription.Subscription;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.exceptions.TemplateEngineException;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a delivery as one multipart/alternative mail (HTML and plain text, both from Thymeleaf
 * templates in {@code templates/mail/}). A delivery with several alerts (a digest or a group) is
 * one mail that lists them all. SMTP failures are retried, and so is a mail whose template fails to
 * render (each try counts as an attempt, so it is parked after {@code max-attempts}: fixing the
 * template and replaying sends it); a mail that cannot be built from valid parts is not.
 */
@Component
class EmailSender implements ChannelSender {
  private final JavaMailSender mail;
  private final EmailProperties properties;
  private final AlertJson alertJson;
  private final JsonMapper mapper;
  private final TemplateEngine templates;

  EmailSender(
      JavaMailSender mail, EmailProperties properties, AlertJson alertJson, JsonMapper mapper) {
    this.mail = mail;
    this.properties = properties;
    this.alertJson = alertJson;
    this.mapper = mapper;
    this.templates = templateEngine(properties.templates());
  }

  /** Its own engine: HTML and TEXT modes side by side, independent of any web view setup. */
  private static TemplateEngine templateEngine(String folder) {
    SpringTemplateEngine engine = new SpringTemplateEngine();
    for (TemplateMode mode : List.of(TemplateMode.HTML, TemplateMode.TEXT)) {
      ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
      resolver.setPrefix(folder.endsWith("/") ? folder : folder + "/");
      resolver.setSuffix(mode == TemplateMode.HTML ? ".html" : ".txt");
      resolver.setTemplateMode(mode);
      resolver.setCharacterEncoding("UTF-8");
      resolver.setCheckExistence(true);
      resolver.setOrder(mode == TemplateMode.HTML ? 1 : 2);
      engine.addTemplateResolver(resolver);
    }
    return engine;
  }

  @Override
  public ChannelType type() {
    return ChannelType.EMAIL;
  }

  /** One SMTP server for every mail subscription. */
  @Override
  public String lane(Subscription subscription) {
    return "smtp";
  }

  /** No limit of its own: the worker pool bounds it. */
  @Override
  public int laneLimit() {
    return Integer.MAX_VALUE;
  }

  @Override
  public Outcome send(Delivery delivery, Subscription subscription, int attemptNumber) {
    try {
      List<Alert> alerts = new ArrayList<>();
      for (JsonNode node : mapper.readTree(delivery.alertsJson())) {
        alerts.add(alertJson.decode(mapper.writeValueAsString(node)));
      }
      Context context = new Context();
      context.setVariable("alerts", alerts);
      context.setVariable("suppressed", delivery.suppressed());
      context.setVariable("subscription", subscription.name());
      String html;
      String text;
      try {
        html = templates.process("alerts", context);
        text = templates.process("alerts-text", context);
      } catch (TemplateEngineException e) {
        return new Outcome.Retryable(0, "cannot render mail: " + e.getMessage(), Optional.empty());
      }

      MimeMessage message = mail.createMimeMessage();
      MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
      helper.setFrom(properties.from());
      helper.setTo(subscription.to().toArray(String[]::new));
      helper.setSubject(subject(alerts));
      helper.setText(text, html);
      message.setHeader("X-Vigil-Delivery-Id", delivery.id());
      message.setHeader("X-Vigil-Idempotency-Key", delivery.idempotencyKey());
      // JavaMailSenderImpl keeps an explicitly set Message-ID through saveChanges().
      message.setHeader("Message-ID", messageId(subscription.id(), delivery.idempotencyKey()));
      mail.send(message);
      return new Outcome.Delivered(0);
    } catch (MailParseException | MailPreparationException | MessagingException e) {
      return new Outcome.Permanent(0, "cannot build mail: " + e.getMessage());
    } catch (MailException e) {
      return new Outcome.Retryable(0, "SMTP: " + e.getMessage(), Optional.empty());
    }
  }

  /**
   * The same (subscription, alert) always gets the same Message-ID, so a mail re-sent after a crash
   * (at-least-once, see docs/alerts.md) can be recognised as a duplicate by MTAs, archives and mail
   * clients. For a digest or group the idempotency key is the delivery id.
   */
  static String messageId(String subscriptionId, String idempotencyKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((subscriptionId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
      return "<" + HexFormat.of().formatHex(digest) + "@vigil-alert-service>";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private String subject(List<Alert> alerts) {
    if (alerts.size() == 1) {
      Alert a = alerts.get(0);
      return properties.subjectPrefix()
          + " "
          + a.severity().wireName().toUpperCase()
          + ": "
          + a.title();
    }
    return properties.subjectPrefix() + " " + alerts.size() + " alerts";
  }
}
