package dev.backstop.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Backstop's server: the Administration API, the backup procedures' runtime, the console. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BackstopApplication {

  public static void main(String[] args) {
    SpringApplication.run(BackstopApplication.class, args);
  }
}
