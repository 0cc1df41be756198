package dev.discovery.etcd.testserver;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what slf4j-simple writes to {@code System.err} while open, still passing it on.
 */
public final class CapturedLog implements AutoCloseable {

	private final PrintStream original = System.err;

	private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

	/**
	 * Starts capturing.
	 */
	public CapturedLog() {
		OutputStream tee = new OutputStream() {
			@Override
			public void write(int b) {
				CapturedLog.this.original.write(b);
				synchronized (CapturedLog.this.captured) {
					CapturedLog.this.captured.write(b);
				}
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				CapturedLog.this.original.write(bytes, offset, length);
				synchronized (CapturedLog.this.captured) {
					CapturedLog.this.captured.write(bytes, offset, length);
				}
			}
		};
		System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
	}

	/**
	 * Returns the captured lines that contain a text.
	 * @param text the text
	 * @return the lines
	 */
	public List<String> linesContaining(String text) {
		String all;
		synchronized (this.captured) {
			all = this.captured.toString(StandardCharsets.UTF_8);
		}
		return all.lines().filter((line) -> line.contains(text)).toList();
	}

	/**
	 * Stops capturing.
	 */
	@Override
	public void close() {
		System.setErr(this.original);
	}

}
