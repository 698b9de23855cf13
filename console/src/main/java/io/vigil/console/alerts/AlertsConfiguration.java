package io.vigil.console.alerts;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** Subscribes {@link LiveAlerts} to the alert service's live channel. */
@Configuration
class AlertsConfiguration {
  @Bean
  RedisMessageListenerContainer liveAlertSubscription(
      RedisConnectionFactory redis, LiveAlerts live) {
    RedisMessageListenerContainer container = new RedisMessageListenerContainer();
    container.setConnectionFactory(redis);
    container.addMessageListener(live, new ChannelTopic(AlertKeys.LIVE_CHANNEL));
    return container;
  }
}
