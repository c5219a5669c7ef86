/**
 * The structured HAProxy 2.6 configuration emitter: {@link
 * org.lbaas.driver.haproxy.internal.config.HaproxyConfig} (sections of directives) and {@link
 * org.lbaas.driver.haproxy.internal.config.Token} (arguments, one validation and escaping routine
 * per {@link org.lbaas.driver.haproxy.internal.config.TokenKind}). Independent of the lbaas model;
 * the renderer builds on it. Not exported from the module.
 */
package org.lbaas.driver.haproxy.internal.config;
