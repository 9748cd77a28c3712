/** Chat templates rendered with Jinjava, configured and extended so Hugging Face templates render as transformers renders them. */
package io.jynamo.llm.template;
