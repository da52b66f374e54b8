package dev.backstop.camunda;

import dev.backstop.testbed.SearchNode;

/**
 * Backstop's search-engine calls against a real Elasticsearch, 7.10.2: the only Elasticsearch that
 * runs here (Camunda 8.6 itself needs 8.x, so this checks the raw calls, not a Camunda cluster).
 */
class SearchSnapshotClientOnElasticsearchTest extends SearchEngineCallsContract {

  @Override
  SearchNode.Engine engine() {
    return SearchNode.Engine.ELASTICSEARCH;
  }
}
