package org.lbaas.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.lbaas.api.json.InvalidJsonException;
import org.lbaas.api.json.NeutronJson;
import org.lbaas.model.LoadBalancer;
import org.lbaas.model.ValidationException;

/** Reads the load balancer document a command is given ({@code -} for standard input). */
final class Documents {

    /**
     * The largest document read, checked before parsing: {@link NeutronJson#MAX_DOCUMENT_CHARS}
     * bytes (4 MiB), about ten times a pool of the haproxy-ns driver's 1000 members written in
     * Neutron's shape, small enough to keep a mistake harmless.
     */
    static final int MAX_BYTES = NeutronJson.MAX_DOCUMENT_CHARS;

    private Documents() {
    }

    /**
     * Reads and checks a document.
     *
     * @param file the file name, or {@code -}
     * @param io where standard input is
     * @return the load balancer, valid as a whole
     * @throws InvalidInputException when the file cannot be read, is not UTF-8, is not well-formed
     *     JSON (line, column and path) or breaks rules (one line per violation)
     */
    static LoadBalancer read(String file, Io io) {
        String text = text(file, io);
        try {
            return NeutronJson.standard().readDocument(text);
        } catch (ValidationException | InvalidJsonException e) {
            throw Failures.of(file, e);
        }
    }

    /** Reads a document's text. */
    static String text(String file, Io io) {
        byte[] bytes;
        try {
            if (file.equals("-")) {
                bytes = io.in().readNBytes(MAX_BYTES + 1);
            } else {
                Path path = Path.of(file);
                if (Files.isDirectory(path)) {
                    throw new InvalidInputException(file + ": is a directory, not a document");
                }
                long size = Files.size(path);
                if (size > MAX_BYTES) {
                    throw new InvalidInputException(file + ": " + Failures.grouped(size) + " bytes is too large for a document"
                            + " (at most " + Failures.grouped(MAX_BYTES) + " bytes, about ten times a pool of 1000 members)");
                }
                bytes = Files.readAllBytes(path);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(file + ": permission denied");
        } catch (InvalidPathException e) {
            throw new InvalidInputException(file + ": not a valid file name");
        } catch (IOException e) {
            throw new StepFailedException("read " + file, e.toString(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidInputException(file + ": too large for a document (at most " + Failures.grouped(MAX_BYTES)
                    + " bytes, about ten times a pool of 1000 members)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(file + ": is not UTF-8 text");
        }
    }
}
