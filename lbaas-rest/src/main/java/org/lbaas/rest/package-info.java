/**
 * The OpenStack Neutron LBaaS v1 REST API over an {@link org.lbaas.api.LoadBalancerService}.
 *
 * <p>Embed it with {@link org.lbaas.rest.LbaasRestServer#builder()}; authenticate callers with an
 * {@link org.lbaas.rest.Authenticator} (a static token for local use, or the application's own);
 * the {@code lbaas serve} command runs it stand-alone. Built on Jetty 12's core handlers (no servlets)
 * and the {@link org.lbaas.api.json.NeutronJson} codec, without a web framework. Nothing in this
 * package is {@code null}; implementation classes are package-private.
 */
package org.lbaas.rest;
