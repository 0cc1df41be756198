package dev.discovery.core.contract;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.discovery.core.InvalidValueException;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Assertions on the settings of a backend's builder, shared by the backends' builder tests.
 */
public final class SettingAssertions {

	private SettingAssertions() {
	}

	/**
	 * Asserts that building fails after one setting was given a value, with an
	 * {@link InvalidValueException} that names the setting and has the given message.
	 * @param <B> the type of the builder
	 * @param <V> the type of the setting
	 * @param builder a new builder
	 * @param setting the name of the setting, as the builder's errors give it
	 * @param setter sets the value on the builder
	 * @param value the bad value
	 * @param build builds the backend
	 * @param message the exact message expected
	 */
	public static <B, V> void assertRejected(B builder, String setting, BiConsumer<B, @Nullable V> setter,
			@Nullable V value, Consumer<B> build, String message) {
		setter.accept(builder, value);
		assertThatExceptionOfType(InvalidValueException.class).isThrownBy(() -> build.accept(builder))
			.withMessage(message)
			.satisfies((ex) -> assertThat(ex.getField()).isEqualTo(setting));
	}

}
