package io.vigil.alert.delivery.email;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param from the sender address of alert mails
 * @param subjectPrefix put before every subject so that inbox rules can sort alert mail
 * @param templates class-path folder of the Thymeleaf templates {@code alerts.html} and {@code
 *     alerts-text.txt}; a folder on the class path of your own replaces the built-in mails
 */
@Validated
@ConfigurationProperties("vigil.email")
public record EmailProperties(
    @Email @NotBlank @DefaultValue("vigil@localhost") String from,
    @DefaultValue("[vigil]") String subjectPrefix,
    @NotBlank @DefaultValue("templates/mail/") String templates) {}
