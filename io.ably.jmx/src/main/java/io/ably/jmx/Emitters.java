package io.ably.jmx;

import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.StandardEmitterMBean;

/** Builds the MXBeans that send {@code State} changes as attribute-change notifications. */
final class Emitters {
  private Emitters() {}

  static <T> StandardEmitterMBean of(T bean, Class<T> mxbeanInterface, String description) {
    MBeanNotificationInfo info =
        new MBeanNotificationInfo(
            new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
            AttributeChangeNotification.class.getName(),
            description);
    return new StandardEmitterMBean(
        bean, mxbeanInterface, true, new NotificationBroadcasterSupport(info));
  }

  static AttributeChangeNotification stateChange(
      Object source, long sequence, String message, String oldState, String newState) {
    return new AttributeChangeNotification(
        source,
        sequence,
        System.currentTimeMillis(),
        message,
        "State",
        String.class.getName(),
        oldState,
        newState);
  }
}
