package org.lbaas.rest;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's side of a request: reads the body without holding a thread (within the size limit and
 * the request timeout), then runs {@link ApiHandler} on the API's worker pool and writes its
 * answer. No thread ever waits on a client: Jetty parses request heads as bytes arrive, the body
 * is read by demand callbacks, and the answer is written asynchronously.
 */
final class JettyApi extends Handler.Abstract.NonBlocking {

    private static final Logger LOG = LoggerFactory.getLogger(JettyApi.class);

    private final ApiHandler api;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final ConnectionGuard guard;
    private final int maxBodyBytes;
    private final Duration requestTimeout;
    private final RequestMetrics metrics;

    JettyApi(ApiHandler api, ExecutorService workers, ScheduledExecutorService timer, ConnectionGuard guard, int maxBodyBytes,
            Duration requestTimeout, RequestMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.api = Objects.requireNonNull(api, "api");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.maxBodyBytes = maxBodyBytes;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        guard.requestStarted(connection);
        long start = System.nanoTime();
        Callback done = new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                guard.requestEnded(connection);
                measured();
                super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                guard.requestEnded(connection);
                measured();
                super.failed(x);
            }

            private void measured() {
                if (metrics != RequestMetrics.NONE) {
                    metrics.request(request.getMethod(), api.route(request.getHttpURI().getPath()), response.getStatus(),
                            System.nanoTime() - start);
                }
            }
        };
        if (!hasBody(request)) {
            dispatch(request, response, done, new Exchange.Body.None(), false);
        } else if (!worthReading(request)) {
            // refused anyway (413 for the declared length, 415 for the type): not read, and the connection not reused
            dispatch(request, response, done, new Exchange.Body.Unread(), true);
        } else {
            new BodyReader(request, response, done).start();
        }
        return true;
    }

    private static boolean hasBody(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    private boolean worthReading(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return request.getLength() <= maxBodyBytes && (type == null || Bodies.isJson(type));
    }

    /** Runs the API on a worker and writes its answer; a full worker pool is a 503. */
    private void dispatch(Request request, Response response, Callback callback, Exchange.Body body, boolean close) {
        JettyExchange exchange = new JettyExchange(request, body);
        try {
            workers.execute(() -> {
                ApiHandler.Response answer;
                try {
                    answer = api.handle(exchange);
                } catch (RuntimeException | Error e) {
                    callback.failed(e);
                    throw e;
                }
                write(response, callback, answer, close);
            });
        } catch (RejectedExecutionException e) {
            write(response, callback, ApiHandler.errorResponse(new ApiError(503, "HTTPServiceUnavailable",
                    "the server is busy with other requests; try again later", Map.of("Retry-After", "1"), null)), true);
        }
    }

    private static void write(Response response, Callback callback, ApiHandler.Response answer, boolean close) {
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        byte[] bytes = answer.bytes();
        if (bytes.length == 0) {
            response.write(true, null, callback);
        } else {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
        }
    }

    /**
     * Reads a body by demand, never waiting on a thread: stops at {@code maxBodyBytes + 1} bytes
     * (the API answers 413) and answers 408 itself when the whole body has not arrived within the
     * request timeout, counted from the end of the head.
     */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean settled;
        private ScheduledFuture<?> deadline;

        BodyReader(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void start() {
            synchronized (this) {
                deadline = timer.schedule(this::expire, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            run();
        }

        @Override
        public void run() {
            synchronized (this) {
                while (!settled) {
                    Content.Chunk chunk = request.read();
                    if (chunk == null) {
                        request.demand(this);
                        return;
                    }
                    if (Content.Chunk.isFailure(chunk)) {
                        Throwable failure = chunk.getFailure();
                        settle();
                        if (failure instanceof TimeoutException) {
                            timedOut();
                        } else {
                            LOG.debug("reading a request body failed", failure);
                            callback.failed(failure);
                        }
                        return;
                    }
                    ByteBuffer buffer = chunk.getByteBuffer();
                    int n = buffer.remaining();
                    if (bytes.size() + (long) n > maxBodyBytes) {
                        chunk.release();
                        settle();
                        dispatch(request, response, callback, new Exchange.Body.Unread(), true);
                        return;
                    }
                    byte[] part = new byte[n];
                    buffer.get(part);
                    bytes.writeBytes(part);
                    boolean last = chunk.isLast();
                    chunk.release();
                    if (last) {
                        settle();
                        dispatch(request, response, callback, new Exchange.Body.Read(bytes.toByteArray()), false);
                        return;
                    }
                }
            }
        }

        private void settle() {
            settled = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        private void expire() {
            synchronized (this) {
                if (settled) {
                    return;
                }
                settled = true;
            }
            request.fail(new TimeoutException("request body timeout"));
            timedOut();
        }

        private void timedOut() {
            write(response, callback, ApiHandler.errorResponse(new ApiError(408, "HTTPRequestTimeout",
                    "the request body did not arrive within " + LbaasRestServer.text(requestTimeout)
                            + "; send it at once after the head")), true);
        }
    }

    /** A Jetty request as {@link ApiHandler} reads it. */
    private record JettyExchange(Request request, Exchange.Body body) implements Exchange {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            return request.getHttpURI().getPath();
        }

        @Override
        public String rawQuery() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(request.getHeaders().get(name));
        }

        @Override
        public InetSocketAddress localAddress() {
            SocketAddress a = request.getConnectionMetaData().getLocalSocketAddress();
            return a instanceof InetSocketAddress i ? i : new InetSocketAddress(0);
        }
    }
}
