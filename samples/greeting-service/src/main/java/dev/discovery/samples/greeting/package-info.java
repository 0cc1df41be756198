/**
 * The greeting service: a web application that registers itself and answers
 * {@code GET /greeting}.
 */
@NullMarked
package dev.discovery.samples.greeting;

import org.jspecify.annotations.NullMarked;
