package dev.backstop.camunda;

import dev.backstop.testbed.SearchNode;

/** Backstop's search-engine calls against a real OpenSearch, the test bed's 3.1. */
class SearchSnapshotClientOnOpenSearchTest extends SearchEngineCallsContract {

  @Override
  SearchNode.Engine engine() {
    return SearchNode.Engine.OPENSEARCH;
  }
}
