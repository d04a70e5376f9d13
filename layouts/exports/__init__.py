"""The export service: what a download, a report pack or a data URL holds. The report pack
(``report_pack``), the renderer (``render``: kaleido; ``gif``), the data behind each chart
(``chart_data``), the data API (``data_api``) and the registry of export formats (``formats``).
The page's modules never import it (``tests/test_architecture.py``)."""
