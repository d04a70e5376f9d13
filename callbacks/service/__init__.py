"""The app as a service, beside the callbacks' wiring: health routes and the request log
(``health``), metrics, the background job managers (``background``, ``celery_backend``), gunicorn's
settings (``gunicorn_conf``), which dataset a request views (``context``), the request guard
(``guard``) and the data API's Flask routes (``data_routes``)."""
