/**
 * The HAProxy 2.6 configuration: the structured emitter ({@link
 * org.lbaas.driver.haproxy.internal.config.HaproxyConfig}, sections of directives, and {@link
 * org.lbaas.driver.haproxy.internal.config.Token}, arguments with one validation and escaping
 * routine per {@link org.lbaas.driver.haproxy.internal.config.TokenKind}), and the renderer built on
 * it, {@link org.lbaas.driver.haproxy.internal.config.HaproxyConfigRenderer} with its deployer
 * settings {@link org.lbaas.driver.haproxy.internal.config.RenderSettings}. The emitter is
 * independent of the lbaas model; only the renderer reads it. Not exported from the module.
 */
package org.lbaas.driver.haproxy.internal.config;
