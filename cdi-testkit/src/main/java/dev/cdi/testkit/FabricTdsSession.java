package dev.cdi.testkit;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TDS connection of {@link TestingFabricServer}: the protocol after the TLS handshake (TDS 8 "strict"
 * encryption: TLS first, then PRELOGIN, LOGIN7 with a federated-authentication token, then SQL batches, RPC
 * calls and attentions). A reader thread reassembles packets into messages and notices an ATTENTION while a
 * response is being written; the session thread answers one message at a time.
 *
 * <p>Not thread-safe apart from the attention flag; one instance per connection.
 */
final class FabricTdsSession implements Runnable {
    static final int PRELOGIN = 0x12;
    static final int LOGIN7 = 0x10;
    static final int SQL_BATCH = 0x01;
    static final int RPC = 0x03;
    static final int ATTENTION = 0x06;
    static final int FEDAUTH_TOKEN = 0x08;
    static final int TABULAR_RESULT = 0x04;

    private static final int DONE = 0xFD;
    private static final int DONEPROC = 0xFE;
    private static final int DONEINPROC = 0xFF;
    private static final int DONE_MORE = 0x01;
    private static final int DONE_ERROR = 0x02;
    private static final int DONE_COUNT = 0x10;
    private static final int DONE_ATTN = 0x20;
    private static final int CMD_SELECT = 0xC1;

    private static final int PROC_EXECUTESQL = 10;
    private static final int PROC_PREPARE = 11;
    private static final int PROC_EXECUTE = 12;
    private static final int PROC_PREPEXEC = 13;
    private static final int PROC_UNPREPARE = 15;

    /** Latin1_General_100_BIN2_UTF8: LCID 0x0409, binary-2 and UTF-8 flags, version 2; sort id 0. */
    static final byte[] UTF8_COLLATION = {0x09, 0x04, 0x00, 0x26, 0x00};
    private static final LocalDate DAY_ZERO = LocalDate.of(1, 1, 1);
    private static final int MAX_SHORT_VARCHAR = 8000;
    private static final byte[] PLP_NULL = {-1, -1, -1, -1, -1, -1, -1, -1};

    private static final Message END_OF_STREAM = new Message(-1, new byte[0]);
    private static final Message ATTENTION_MESSAGE = new Message(ATTENTION, new byte[0]);

    private final TestingFabricServer server;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final AtomicBoolean attention = new AtomicBoolean();
    private final Map<Integer, Prepared> prepared = new HashMap<>();
    private int packetSize = 4096;
    private int packetId;
    private int nextHandle = 1;
    private String principal;
    private Connection engine;

    FabricTdsSession(TestingFabricServer server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        // TLS records as large as 64 KB: one record per TDS packet would make small packets slow.
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    record Message(int type, byte[] payload) {
    }

    private record Prepared(String sql, String declaration) {
    }

    /** A statement's text made runnable by the engine, its parameters in the order of their markers. */
    record Rewritten(String sql, List<Object> parameters, Optional<String> label, Optional<Special> special) {
    }

    /** Statements the fake answers itself instead of the engine. */
    enum Special {
        IGNORED_SET, VERSION, WAITFOR
    }

    /** A refusal to send as a TDS ERROR token. */
    static final class TdsError extends Exception {
        private static final long serialVersionUID = 1L;
        final int number;
        final int severity;

        TdsError(int number, int severity, String message) {
            super(message);
            this.number = number;
            this.severity = severity;
        }
    }

    @Override
    public void run() {
        Thread reader = new Thread(this::readMessages, "testing-fabric-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            while (true) {
                Message message = messages.take();
                if (message == END_OF_STREAM) {
                    return;
                }
                handle(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } finally {
            closeQuietly();
        }
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (engine != null) {
            try {
                engine.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            engine = null;
        }
        server.sessionEnded(this);
    }

    private void readMessages() {
        try {
            while (true) {
                int type = -1;
                ByteArrayOutputStream payload = new ByteArrayOutputStream();
                while (true) {
                    byte[] header = new byte[8];
                    in.readFully(header);
                    type = header[0] & 0xFF;
                    int status = header[1] & 0xFF;
                    int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                    if (length < 8) {
                        throw new IOException("bad packet length " + length);
                    }
                    byte[] body = new byte[length - 8];
                    in.readFully(body);
                    payload.write(body);
                    if ((status & 0x01) != 0) {
                        break;
                    }
                }
                if (type == ATTENTION) {
                    server.attentionsReceived.incrementAndGet();
                    attention.set(true);
                    messages.put(ATTENTION_MESSAGE);
                } else {
                    messages.put(new Message(type, payload.toByteArray()));
                }
            }
        } catch (EOFException e) {
            // the client closed the connection
        } catch (IOException e) {
            // the socket was closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            messages.add(END_OF_STREAM);
        }
    }

    private void handle(Message message) throws IOException, InterruptedException {
        switch (message.type()) {
            case PRELOGIN -> preLogin();
            case LOGIN7 -> login(message.payload());
            case SQL_BATCH -> {
                requireLogin();
                sqlBatch(message.payload());
            }
            case RPC -> {
                requireLogin();
                rpc(message.payload());
            }
            case ATTENTION -> {
                if (attention.getAndSet(false)) {
                    sendAttentionAck();
                }
            }
            default -> {
                server.unexpected("TDS message type 0x" + Integer.toHexString(message.type()));
                TdsWriter writer = new TdsWriter();
                writer.error(new TdsError(50000, 16, "TestingFabricServer cannot serve TDS message type 0x"
                        + Integer.toHexString(message.type())));
                writer.done(DONE, DONE_ERROR, 0, 0);
                writer.end();
            }
        }
    }

    private void requireLogin() throws IOException {
        if (engine == null) {
            server.unexpected("a request before login");
            throw new IOException("request before login");
        }
    }

    private void preLogin() throws IOException {
        out.write(preLoginResponse());
        out.flush();
    }

    /**
     * The PRELOGIN answer, one whole packet: VERSION (16.0) and ENCRYPTION on. With encryption off the driver drops TLS
     * after login.
     */
    static byte[] preLoginResponse() {
        // Two options (VERSION, ENCRYPTION) of 5 bytes each and the terminator: data starts at 11.
        byte[] payload = {0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, (byte) 0xFF, 16, 0, 0x03, (byte) 0xE8, 0, 0, 0x01};
        byte[] packet = new byte[8 + payload.length];
        packet[0] = TABULAR_RESULT;
        packet[1] = 0x01;
        packet[3] = (byte) packet.length;
        packet[6] = 1;
        System.arraycopy(payload, 0, packet, 8, payload.length);
        return packet;
    }

    private void login(byte[] payload) throws IOException, InterruptedException {
        ByteBuffer login = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int requestedPacketSize = login.getInt(8);
        int optionFlags3 = payload[27] & 0xFF;
        String database = utf16(payload, login.getShort(68) & 0xFFFF, login.getShort(70) & 0xFFFF);
        Optional<String> inlineToken = Optional.empty();
        boolean fedAuth = false;
        boolean callbackWorkflow = false;
        if ((optionFlags3 & 0x10) != 0) {
            int extensionOffset = login.getShort(56) & 0xFFFF;
            int featureOffset = login.getInt(extensionOffset);
            int position = featureOffset;
            while (position < payload.length && (payload[position] & 0xFF) != 0xFF) {
                int featureId = payload[position] & 0xFF;
                int length = login.getInt(position + 1);
                int data = position + 5;
                if (featureId == 0x02) {
                    fedAuth = true;
                    int options = payload[data] & 0xFF;
                    int library = options >> 1;
                    if (library == 0x01) {
                        int tokenLength = login.getInt(data + 1);
                        inlineToken = Optional.of(new String(payload, data + 5, tokenLength, StandardCharsets.UTF_16LE));
                    } else if (library == 0x02) {
                        callbackWorkflow = true;
                    }
                }
                position = data + length;
            }
        }
        if (!fedAuth) {
            loginFailed("Login failed: this fake accepts Microsoft Entra tokens only (no SQL login).");
            return;
        }
        String token;
        if (callbackWorkflow) {
            TdsWriter writer = new TdsWriter();
            writer.fedAuthInfo(server.authorityHost() + server.tenantId(), TestingFabricServer.SPN);
            writer.end();
            Message tokenMessage = messages.take();
            if (tokenMessage == END_OF_STREAM) {
                // The client could not get a token (Entra refused it) and hung up: nothing to answer.
                throw new IOException("closed before sending a token");
            }
            if (tokenMessage.type() != FEDAUTH_TOKEN) {
                server.unexpected("TDS message type 0x" + Integer.toHexString(tokenMessage.type())
                        + " instead of the federated-authentication token");
                throw new IOException("no token after FEDAUTHINFO");
            }
            ByteBuffer tokenBuffer = ByteBuffer.wrap(tokenMessage.payload()).order(ByteOrder.LITTLE_ENDIAN);
            int tokenLength = tokenBuffer.getInt(4);
            token = new String(tokenMessage.payload(), 8, tokenLength, StandardCharsets.UTF_16LE);
        } else if (inlineToken.isPresent()) {
            token = inlineToken.get();
        } else {
            server.unexpected("a FEDAUTH login with an unknown library");
            loginFailed("Login failed: unsupported federated authentication library.");
            return;
        }
        Optional<String> verified = server.verifyToken(token);
        if (verified.isEmpty()) {
            loginFailed("Login failed for user '<token-identified principal>'.");
            return;
        }
        if (!database.isEmpty() && !database.equalsIgnoreCase(server.database())) {
            TdsWriter writer = new TdsWriter();
            writer.error(new TdsError(4060, 11, "Cannot open database \"" + database
                    + "\" requested by the login. The login failed."));
            writer.error(new TdsError(18456, 14, "Login failed for user '<token-identified principal>'."));
            writer.done(DONE, DONE_ERROR, 0, 0);
            writer.end();
            return;
        }
        principal = verified.get();
        try {
            engine = server.openEngineConnection();
        } catch (SQLException e) {
            throw new IOException("cannot open the engine", e);
        }
        packetSize = Math.max(512, Math.min(32767, requestedPacketSize));
        int announced = packetSize;
        if (server.packetSizeOverride() > 0) {
            announced = server.packetSizeOverride();
        }
        TdsWriter writer = new TdsWriter();
        writer.envChangeText(1, server.database(), "master");
        writer.envChangeCollation();
        writer.envChangeText(4, Integer.toString(announced), "4096");
        writer.loginAck();
        writer.u8(0xAE).u8(0x02).u32(0).u8(0xFF);
        writer.done(DONE, 0, 0, 0);
        writer.end();
        packetSize = announced;
    }

    private void loginFailed(String message) throws IOException {
        server.loginsRefused.incrementAndGet();
        TdsWriter writer = new TdsWriter();
        writer.error(new TdsError(18456, 14, message));
        writer.done(DONE, DONE_ERROR, 0, 0);
        writer.end();
    }

    private void sqlBatch(byte[] payload) throws IOException, InterruptedException {
        int headers = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        String sql = new String(payload, headers, payload.length - headers, StandardCharsets.UTF_16LE);
        TdsWriter writer = new TdsWriter();
        execute(writer, sql, Map.of(), false);
        writer.end();
    }

    private void rpc(byte[] payload) throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        buffer.position(buffer.getInt(0));
        int nameLength = buffer.getShort() & 0xFFFF;
        int procId;
        String procName = "";
        if (nameLength == 0xFFFF) {
            procId = buffer.getShort() & 0xFFFF;
        } else {
            byte[] name = new byte[nameLength * 2];
            buffer.get(name);
            procName = new String(name, StandardCharsets.UTF_16LE);
            procId = -1;
        }
        buffer.getShort();
        TdsWriter writer = new TdsWriter();
        List<Object> values = new ArrayList<>();
        try {
            while (buffer.hasRemaining()) {
                int nameChars = buffer.get() & 0xFF;
                buffer.position(buffer.position() + nameChars * 2);
                buffer.get();
                values.add(readValue(buffer));
            }
            switch (procId) {
                case PROC_EXECUTESQL -> {
                    String sql = (String) values.get(0);
                    String declaration = values.size() > 1 ? (String) values.get(1) : "";
                    execute(writer, sql, named(declaration, values.subList(Math.min(2, values.size()),
                            values.size())), true);
                    writer.returnStatus();
                    writer.done(DONEPROC, 0, 0, 0);
                }
                case PROC_PREPEXEC -> {
                    String declaration = (String) values.get(1);
                    String sql = (String) values.get(2);
                    int handle = nextHandle++;
                    prepared.put(handle, new Prepared(sql, declaration));
                    execute(writer, sql, named(declaration, values.subList(3, values.size())), true);
                    writer.returnStatus();
                    writer.returnHandle(handle);
                    writer.done(DONEPROC, 0, 0, 0);
                }
                case PROC_EXECUTE -> {
                    int handle = ((Number) values.get(0)).intValue();
                    Prepared statement = prepared.get(handle);
                    if (statement == null) {
                        throw new TdsError(8179, 16, "Could not find prepared statement with handle " + handle + ".");
                    }
                    execute(writer, statement.sql(), named(statement.declaration(), values.subList(1, values.size())),
                            true);
                    writer.returnStatus();
                    writer.done(DONEPROC, 0, 0, 0);
                }
                case PROC_UNPREPARE -> {
                    prepared.remove(((Number) values.get(0)).intValue());
                    writer.returnStatus();
                    writer.done(DONEPROC, 0, 0, 0);
                }
                default -> {
                    String what = procId == PROC_PREPARE ? "sp_prepare" : procId >= 0 ? "procedure id " + procId
                            : "procedure " + procName;
                    server.unexpected("RPC " + what);
                    throw new TdsError(2812, 16, "TestingFabricServer cannot run " + what + ".");
                }
            }
        } catch (TdsError e) {
            writer.error(e);
            writer.done(DONEPROC, DONE_ERROR, 0, 0);
        }
        writer.end();
    }

    /** Parameter names of a declaration such as {@code @P0 datetime2,@P1 nvarchar(4000)} with their values. */
    private static Map<String, Object> named(String declaration, List<Object> values) throws TdsError {
        Map<String, Object> named = new HashMap<>();
        Matcher matcher = Pattern.compile("@(\\w+)\\s").matcher(declaration + " ");
        int index = 0;
        while (matcher.find()) {
            if (index >= values.size()) {
                throw new TdsError(8144, 16, "Procedure or function has too many arguments specified.");
            }
            named.put(matcher.group(1).toLowerCase(Locale.ROOT), values.get(index++));
        }
        return named;
    }

    /**
     * Runs a statement on the engine and writes its result: the rows, then DONE (a batch) or DONEINPROC (an RPC).
     * Errors become an ERROR token and a DONE with the error bit.
     */
    private void execute(TdsWriter writer, String sql, Map<String, Object> parameters, boolean inProcedure) throws IOException, InterruptedException {
        int doneToken = inProcedure ? DONEINPROC : DONE;
        Rewritten rewritten;
        try {
            rewritten = FabricFakeSql.rewrite(sql, parameters);
            server.record(sql, rewritten.label(), principal);
            FabricFakeSql.checkAccess(server, principal, rewritten.sql());
        } catch (TdsError e) {
            writer.error(e);
            writer.done(doneToken, DONE_ERROR, 0, 0);
            return;
        }
        if (rewritten.special().isPresent()) {
            switch (rewritten.special().get()) {
                case IGNORED_SET -> writer.done(doneToken, 0, 0, 0);
                case VERSION -> {
                    writer.colMetadataVarchar("");
                    writer.u8(0xD1);
                    writer.shortVarchar("Microsoft Fabric (TestingFabricServer, H2 engine)");
                    writer.done(doneToken, DONE_COUNT, CMD_SELECT, 1);
                }
                case WAITFOR -> {
                    long until = System.nanoTime() + FabricFakeSql.waitForNanos(sql);
                    while (System.nanoTime() < until) {
                        if (attention.getAndSet(false)) {
                            writer.done(doneToken, 0, 0, 0);
                            writer.end();
                            sendAttentionAck();
                            writer.cancelled = true;
                            return;
                        }
                        Thread.sleep(10);
                    }
                    writer.done(doneToken, 0, 0, 0);
                }
            }
            return;
        }
        try (PreparedStatement statement = engine.prepareStatement(rewritten.sql())) {
            for (int i = 0; i < rewritten.parameters().size(); i++) {
                statement.setObject(i + 1, rewritten.parameters().get(i));
            }
            if (statement.execute()) {
                try (ResultSet resultSet = statement.getResultSet()) {
                    streamRows(writer, resultSet, doneToken);
                }
            } else {
                long count = Math.max(0, statement.getUpdateCount());
                writer.done(doneToken, DONE_COUNT, 0, count);
            }
        } catch (SQLException e) {
            writer.error(FabricFakeSql.toTdsError(server, e, rewritten.sql()));
            writer.done(doneToken, DONE_ERROR, 0, 0);
        } catch (TdsError e) {
            writer.error(e);
            writer.done(doneToken, DONE_ERROR, 0, 0);
        }
    }

    private void streamRows(TdsWriter writer, ResultSet resultSet, int doneToken)
            throws SQLException, IOException, TdsError {
        ResultSetMetaData metaData = resultSet.getMetaData();
        int columns = metaData.getColumnCount();
        ColumnKind[] kinds = new ColumnKind[columns];
        int[] scales = new int[columns];
        writer.u8(0x81).u16(columns);
        for (int i = 0; i < columns; i++) {
            kinds[i] = ColumnKind.of(metaData, i + 1);
            if (server.textAsNvarchar()) {
                if (kinds[i] == ColumnKind.VARCHAR) {
                    kinds[i] = metaData.getPrecision(i + 1) > MAX_SHORT_VARCHAR / 2 ? ColumnKind.NVARCHAR_MAX
                            : ColumnKind.NVARCHAR;
                } else if (kinds[i] == ColumnKind.VARCHAR_MAX) {
                    kinds[i] = ColumnKind.NVARCHAR_MAX;
                }
            }
            scales[i] = Math.max(0, Math.min(7, metaData.getScale(i + 1)));
            writer.u32(0).u16(metaData.isNullable(i + 1) == ResultSetMetaData.columnNoNulls ? 0x00 : 0x01);
            writer.typeInfo(kinds[i], metaData.getPrecision(i + 1), scales[i]);
            writer.bVarchar(metaData.getColumnLabel(i + 1));
        }
        long rows = 0;
        while (resultSet.next()) {
            if (attention.get()) {
                attention.set(false);
                writer.done(doneToken, DONE_COUNT, CMD_SELECT, rows);
                writer.end();
                sendAttentionAck();
                writer.cancelled = true;
                return;
            }
            writer.u8(0xD1);
            for (int i = 0; i < columns; i++) {
                writer.value(kinds[i], scales[i], resultSet, i + 1);
            }
            rows++;
        }
        server.rowsServed.addAndGet(rows);
        writer.done(doneToken, DONE_COUNT, CMD_SELECT, rows);
    }

    private void sendAttentionAck() throws IOException {
        TdsWriter ack = new TdsWriter();
        ack.done(DONE, DONE_ATTN, 0, 0);
        ack.end();
    }

    /** How a result column is sent. */
    enum ColumnKind {
        BIGINT, INT, SMALLINT, TINYINT, BIT, FLOAT, DECIMAL, VARCHAR, VARCHAR_MAX, NVARCHAR, NVARCHAR_MAX, DATETIME2,
        DATETIMEOFFSET, DATE, VARBINARY_MAX;

        static ColumnKind of(ResultSetMetaData metaData, int column) throws SQLException, TdsError {
            int type = metaData.getColumnType(column);
            return switch (type) {
                case Types.BIGINT -> BIGINT;
                case Types.INTEGER -> INT;
                case Types.SMALLINT -> SMALLINT;
                case Types.TINYINT -> TINYINT;
                case Types.BOOLEAN, Types.BIT -> BIT;
                case Types.DOUBLE, Types.FLOAT, Types.REAL -> FLOAT;
                case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
                case Types.VARCHAR, Types.CHAR, Types.NVARCHAR, Types.NCHAR, Types.LONGVARCHAR, Types.LONGNVARCHAR ->
                        metaData.getPrecision(column) > MAX_SHORT_VARCHAR ? VARCHAR_MAX : VARCHAR;
                case Types.CLOB, Types.NCLOB, Types.OTHER -> VARCHAR_MAX;
                case Types.TIMESTAMP -> DATETIME2;
                case Types.TIMESTAMP_WITH_TIMEZONE -> DATETIMEOFFSET;
                case Types.DATE -> DATE;
                case Types.VARBINARY, Types.BINARY, Types.BLOB, Types.LONGVARBINARY -> VARBINARY_MAX;
                default -> throw new TdsError(50000, 16, "TestingFabricServer cannot send column "
                        + metaData.getColumnLabel(column) + " of engine type " + metaData.getColumnTypeName(column));
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Parameter values (TYPE_INFO and value of an RPC parameter)

    private static Object readValue(ByteBuffer buffer) throws TdsError {
        int type = buffer.get() & 0xFF;
        switch (type) {
            case 0x26 -> { // INTN
                buffer.get();
                int length = buffer.get() & 0xFF;
                return switch (length) {
                    case 0 -> null;
                    case 1 -> (long) (buffer.get() & 0xFF);
                    case 2 -> (long) buffer.getShort();
                    case 4 -> (long) buffer.getInt();
                    default -> buffer.getLong();
                };
            }
            case 0x68 -> { // BITN
                buffer.get();
                int length = buffer.get() & 0xFF;
                return length == 0 ? null : buffer.get() != 0;
            }
            case 0x6D -> { // FLTN
                buffer.get();
                int length = buffer.get() & 0xFF;
                return switch (length) {
                    case 0 -> null;
                    case 4 -> (double) buffer.getFloat();
                    default -> buffer.getDouble();
                };
            }
            case 0x6A, 0x6C -> { // DECIMALN, NUMERICN
                buffer.get();
                buffer.get();
                int scale = buffer.get() & 0xFF;
                int length = buffer.get() & 0xFF;
                if (length == 0) {
                    return null;
                }
                boolean positive = buffer.get() == 1;
                byte[] magnitude = new byte[length - 1];
                buffer.get(magnitude);
                reverse(magnitude);
                BigDecimal value = new BigDecimal(new BigInteger(1, magnitude), scale);
                return positive ? value : value.negate();
            }
            case 0xE7, 0xA7, 0xEF, 0xAF -> { // NVARCHAR, BIGVARCHAR, NCHAR, BIGCHAR
                int maxLength = buffer.getShort() & 0xFFFF;
                byte[] collation = new byte[5];
                buffer.get(collation);
                Charset charset = type == 0xE7 || type == 0xEF ? StandardCharsets.UTF_16LE
                        : (collation[3] & 0x04) != 0 ? StandardCharsets.UTF_8 : Charset.forName("windows-1252");
                byte[] bytes = maxLength == 0xFFFF ? readPlp(buffer) : readShortBytes(buffer);
                return bytes == null ? null : new String(bytes, charset);
            }
            case 0x63 -> { // NTEXT
                throw new TdsError(50000, 16, "TestingFabricServer does not read ntext parameters");
            }
            case 0xA5 -> { // BIGVARBINARY
                int maxLength = buffer.getShort() & 0xFFFF;
                return maxLength == 0xFFFF ? readPlp(buffer) : readShortBytes(buffer);
            }
            case 0x2A -> { // DATETIME2N
                buffer.get();
                int length = buffer.get() & 0xFF;
                if (length == 0) {
                    return null;
                }
                return readDateTime2(buffer, length - 3);
            }
            case 0x2B -> { // DATETIMEOFFSETN
                buffer.get();
                int length = buffer.get() & 0xFF;
                if (length == 0) {
                    return null;
                }
                LocalDateTime utc = readDateTime2(buffer, length - 5);
                int offsetMinutes = buffer.getShort();
                return utc.atOffset(ZoneOffset.UTC).withOffsetSameInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            }
            case 0x28 -> { // DATEN
                int length = buffer.get() & 0xFF;
                return length == 0 ? null : DAY_ZERO.plusDays(readUnsigned(buffer, 3));
            }
            default -> throw new TdsError(50000, 16, "TestingFabricServer cannot read a parameter of TDS type 0x"
                    + Integer.toHexString(type));
        }
    }

    private static LocalDateTime readDateTime2(ByteBuffer buffer, int timeBytes) {
        long units = readUnsigned(buffer, timeBytes);
        int scale = switch (timeBytes) {
            case 3 -> 2;
            case 4 -> 4;
            default -> 7;
        };
        long days = readUnsigned(buffer, 3);
        // The unit is 10^-scale s for the declared scale; the driver declares 7 and sends 5 bytes.
        long nanos = units * pow10(9 - scale);
        return DAY_ZERO.plusDays(days).atStartOfDay().plusNanos(nanos);
    }

    private static long readUnsigned(ByteBuffer buffer, int bytes) {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            value |= (long) (buffer.get() & 0xFF) << (8 * i);
        }
        return value;
    }

    private static byte[] readShortBytes(ByteBuffer buffer) {
        int length = buffer.getShort() & 0xFFFF;
        if (length == 0xFFFF) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] readPlp(ByteBuffer buffer) {
        long total = buffer.getLong();
        if (total == -1L) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (true) {
            int chunk = buffer.getInt();
            if (chunk == 0) {
                return bytes.toByteArray();
            }
            byte[] part = new byte[chunk];
            buffer.get(part);
            bytes.write(part, 0, chunk);
        }
    }

    private static void reverse(byte[] bytes) {
        for (int i = 0, j = bytes.length - 1; i < j; i++, j--) {
            byte swap = bytes[i];
            bytes[i] = bytes[j];
            bytes[j] = swap;
        }
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }

    private static String utf16(byte[] payload, int offset, int chars) {
        return new String(payload, offset, chars * 2, StandardCharsets.UTF_16LE);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Responses

    /**
     * Writes one response message in packets of the negotiated size; tokens straddle packets freely, as TDS allows.
     * Plain and allocation-light on the row path: one buffer per message, flushed as each packet fills.
     */
    private final class TdsWriter {
        private final byte[] packet = new byte[packetSize];
        private int position = 8;
        boolean cancelled;

        TdsWriter u8(int value) throws IOException {
            if (position == packet.length) {
                flush(false);
            }
            packet[position++] = (byte) value;
            return this;
        }

        TdsWriter u16(int value) throws IOException {
            return u8(value).u8(value >>> 8);
        }

        TdsWriter u16be(int value) throws IOException {
            return u8(value >>> 8).u8(value);
        }

        TdsWriter u32(int value) throws IOException {
            return u16(value).u16(value >>> 16);
        }

        TdsWriter u64(long value) throws IOException {
            return u32((int) value).u32((int) (value >>> 32));
        }

        TdsWriter unsigned(long value, int bytes) throws IOException {
            for (int i = 0; i < bytes; i++) {
                u8((int) (value >>> (8 * i)));
            }
            return this;
        }

        TdsWriter bytes(byte[] bytes) throws IOException {
            int offset = 0;
            while (offset < bytes.length) {
                if (position == packet.length) {
                    flush(false);
                }
                int count = Math.min(bytes.length - offset, packet.length - position);
                System.arraycopy(bytes, offset, packet, position, count);
                position += count;
                offset += count;
            }
            return this;
        }

        TdsWriter bVarchar(String text) throws IOException {
            return u8(text.length()).bytes(text.getBytes(StandardCharsets.UTF_16LE));
        }

        TdsWriter usVarchar(String text) throws IOException {
            return u16(text.length()).bytes(text.getBytes(StandardCharsets.UTF_16LE));
        }

        TdsWriter shortVarchar(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return u16(bytes.length).bytes(bytes);
        }

        void colMetadataVarchar(String name) throws IOException {
            u8(0x81).u16(1).u32(0).u16(0x01);
            typeInfo(ColumnKind.VARCHAR, 4000, 0);
            bVarchar(name);
        }

        void typeInfo(ColumnKind kind, int precision, int scale) throws IOException {
            switch (kind) {
                case BIGINT -> u8(0x26).u8(8);
                case INT -> u8(0x26).u8(4);
                case SMALLINT -> u8(0x26).u8(2);
                case TINYINT -> u8(0x26).u8(1);
                case BIT -> u8(0x68).u8(1);
                case FLOAT -> u8(0x6D).u8(8);
                case DECIMAL -> u8(0x6C).u8(17).u8(Math.max(1, Math.min(38, precision))).u8(Math.min(38, scale));
                case VARCHAR -> u8(0xA7).u16(Math.max(1, Math.min(MAX_SHORT_VARCHAR, precision))).bytes(UTF8_COLLATION);
                case VARCHAR_MAX -> u8(0xA7).u16(0xFFFF).bytes(UTF8_COLLATION);
                case NVARCHAR -> u8(0xE7).u16(2 * Math.max(1, Math.min(MAX_SHORT_VARCHAR / 2, precision)))
                        .bytes(UTF8_COLLATION);
                case NVARCHAR_MAX -> u8(0xE7).u16(0xFFFF).bytes(UTF8_COLLATION);
                case DATETIME2 -> u8(0x2A).u8(scale);
                case DATETIMEOFFSET -> u8(0x2B).u8(scale);
                case DATE -> u8(0x28);
                case VARBINARY_MAX -> u8(0xA5).u16(0xFFFF);
            }
        }

        void value(ColumnKind kind, int scale, ResultSet resultSet, int column) throws SQLException, IOException {
            switch (kind) {
                case BIGINT, INT, SMALLINT, TINYINT -> {
                    long value = resultSet.getLong(column);
                    int length = kind == ColumnKind.BIGINT ? 8 : kind == ColumnKind.INT ? 4
                            : kind == ColumnKind.SMALLINT ? 2 : 1;
                    if (resultSet.wasNull()) {
                        u8(0);
                    } else {
                        u8(length).unsigned(value, length);
                    }
                }
                case BIT -> {
                    boolean value = resultSet.getBoolean(column);
                    if (resultSet.wasNull()) {
                        u8(0);
                    } else {
                        u8(1).u8(value ? 1 : 0);
                    }
                }
                case FLOAT -> {
                    double value = resultSet.getDouble(column);
                    if (resultSet.wasNull()) {
                        u8(0);
                    } else {
                        u8(8).u64(Double.doubleToLongBits(value));
                    }
                }
                case DECIMAL -> {
                    BigDecimal value = resultSet.getBigDecimal(column);
                    if (value == null) {
                        u8(0);
                    } else {
                        BigInteger unscaled = value.setScale(Math.min(38, resultSet.getMetaData().getScale(column)),
                                RoundingMode.HALF_UP).unscaledValue();
                        byte[] magnitude = unscaled.abs().toByteArray();
                        u8(17).u8(unscaled.signum() < 0 ? 0 : 1);
                        for (int i = 0; i < 16; i++) {
                            int index = magnitude.length - 1 - i;
                            u8(index >= 0 ? magnitude[index] : 0);
                        }
                    }
                }
                case VARCHAR -> {
                    String value = resultSet.getString(column);
                    if (value == null) {
                        u16(0xFFFF);
                    } else {
                        shortVarchar(value);
                    }
                }
                case VARCHAR_MAX -> {
                    String value = resultSet.getString(column);
                    plp(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
                }
                case NVARCHAR -> {
                    String value = resultSet.getString(column);
                    if (value == null) {
                        u16(0xFFFF);
                    } else {
                        byte[] bytes = value.getBytes(StandardCharsets.UTF_16LE);
                        u16(bytes.length).bytes(bytes);
                    }
                }
                case NVARCHAR_MAX -> {
                    String value = resultSet.getString(column);
                    plp(value == null ? null : value.getBytes(StandardCharsets.UTF_16LE));
                }
                case VARBINARY_MAX -> plp(resultSet.getBytes(column));
                case DATETIME2 -> {
                    LocalDateTime value = resultSet.getObject(column, LocalDateTime.class);
                    if (value == null) {
                        u8(0);
                    } else {
                        int timeBytes = timeBytes(scale);
                        u8(timeBytes + 3);
                        dateTime2(value, scale, timeBytes);
                    }
                }
                case DATETIMEOFFSET -> {
                    OffsetDateTime value = resultSet.getObject(column, OffsetDateTime.class);
                    if (value == null) {
                        u8(0);
                    } else {
                        int timeBytes = timeBytes(scale);
                        u8(timeBytes + 5);
                        dateTime2(value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(), scale, timeBytes);
                        u16(value.getOffset().getTotalSeconds() / 60);
                    }
                }
                case DATE -> {
                    LocalDate value = resultSet.getObject(column, LocalDate.class);
                    if (value == null) {
                        u8(0);
                    } else {
                        u8(3).unsigned(ChronoUnit.DAYS.between(DAY_ZERO, value), 3);
                    }
                }
            }
        }

        private void plp(byte[] bytes) throws IOException {
            if (bytes == null) {
                bytes(PLP_NULL);
                return;
            }
            u64(bytes.length);
            if (bytes.length > 0) {
                u32(bytes.length).bytes(bytes);
            }
            u32(0);
        }

        private int timeBytes(int scale) {
            return scale <= 2 ? 3 : scale <= 4 ? 4 : 5;
        }

        private void dateTime2(LocalDateTime value, int scale, int timeBytes) throws IOException {
            long units = value.toLocalTime().toNanoOfDay() / pow10(9 - scale);
            unsigned(units, timeBytes);
            unsigned(ChronoUnit.DAYS.between(DAY_ZERO, value.toLocalDate()), 3);
        }

        void error(TdsError error) throws IOException {
            String message = error.getMessage();
            String serverName = "testing-fabric";
            int length = 4 + 1 + 1 + 2 + message.length() * 2 + 1 + serverName.length() * 2 + 1 + 4;
            u8(0xAA).u16(length).u32(error.number).u8(1).u8(error.severity);
            usVarchar(message);
            bVarchar(serverName);
            bVarchar("");
            u32(1);
        }

        void done(int token, int status, int command, long rowCount) throws IOException {
            u8(token).u16(status).u16(command).u64(rowCount);
        }

        void returnStatus() throws IOException {
            u8(0x79).u32(0);
        }

        void returnHandle(int handle) throws IOException {
            u8(0xAC).u16(0).bVarchar("").u8(0x01).u32(0).u16(0);
            u8(0x26).u8(4);
            u8(4).u32(handle);
        }

        void envChangeText(int type, String newValue, String oldValue) throws IOException {
            int length = 1 + 1 + newValue.length() * 2 + 1 + oldValue.length() * 2;
            u8(0xE3).u16(length).u8(type).bVarchar(newValue).bVarchar(oldValue);
        }

        void envChangeCollation() throws IOException {
            u8(0xE3).u16(1 + 1 + 5 + 1).u8(7).u8(5).bytes(UTF8_COLLATION).u8(0);
        }

        void loginAck() throws IOException {
            String program = "Microsoft SQL Server";
            int length = 1 + 4 + 1 + program.length() * 2 + 4;
            u8(0xAD).u16(length).u8(1);
            u8(0x74).u8(0x00).u8(0x00).u8(0x04);
            bVarchar(program);
            u8(12).u8(0).u8(0x0F).u8(0xA0);
        }

        void fedAuthInfo(String stsUrl, String spn) throws IOException {
            byte[] sts = stsUrl.getBytes(StandardCharsets.UTF_16LE);
            byte[] spnBytes = spn.getBytes(StandardCharsets.UTF_16LE);
            int headerBytes = 4 + 2 * 9;
            int length = headerBytes + sts.length + spnBytes.length;
            u8(0xEE).u32(length).u32(2);
            u8(0x01).u32(sts.length).u32(headerBytes);
            u8(0x02).u32(spnBytes.length).u32(headerBytes + sts.length);
            bytes(sts).bytes(spnBytes);
        }

        /** Ends the message: the last packet carries the end-of-message status. */
        void end() throws IOException {
            if (cancelled) {
                return;
            }
            flush(true);
        }

        private void flush(boolean last) throws IOException {
            if (cancelled) {
                position = 8;
                return;
            }
            packet[0] = TABULAR_RESULT;
            packet[1] = (byte) (last ? 0x01 : 0x00);
            packet[2] = (byte) (position >>> 8);
            packet[3] = (byte) position;
            packet[4] = 0;
            packet[5] = 0;
            packet[6] = (byte) (++packetId);
            packet[7] = 0;
            out.write(packet, 0, position);
            if (last) {
                out.flush();
            }
            server.packetsSent.incrementAndGet();
            position = 8;
        }
    }
}
